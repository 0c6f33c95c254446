// Who holds which role where: each person, the post they hold, its organisation,
// the holder's status and how many articles report it.
// Parameters: none.
MATCH (p:Person)-[h:HOLDS]->(r:Role)
OPTIONAL MATCH (r)-[:ROLE_IN]->(o:Organisation)
RETURN p.name AS person, h.title AS title, o.name AS organisation, h.status AS status,
       size(h.articles) AS articles
ORDER BY person, title, coalesce(organisation, '')
