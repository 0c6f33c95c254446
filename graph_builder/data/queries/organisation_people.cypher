// The people of one organisation: who holds (or held) which post in it.
// Parameters: $organisation — the organisation's name, an alias, or its id.
MATCH (p:Person)-[h:HOLDS]->(r:Role)-[:ROLE_IN]->(o:Organisation)
WHERE lower(o.name) = lower($organisation) OR o.id = $organisation
   OR $organisation IN o.aliases
RETURN p.name AS person, r.title AS title, h.status AS status, h.last_reported AS last_reported
ORDER BY person, title
