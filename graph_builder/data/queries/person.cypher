// Everything known about one person: roles held and events taken part in,
// each with the articles and sentence spans ("article:start-end") that state it.
// Parameters: $name — the person's name or surname (any case), an alias, or the id.
MATCH (p:Person)-[h:HOLDS]->(r:Role)
WHERE lower(p.name) = lower($name) OR p.id = $name OR lower(p.name) ENDS WITH (' ' + lower($name))
   OR $name IN p.aliases
OPTIONAL MATCH (r)-[:ROLE_IN]->(o:Organisation)
RETURN 'role' AS fact, h.title AS what, o.name AS with_whom, h.status AS detail,
       h.articles AS articles, h.spans AS spans
UNION ALL
MATCH (p:Person)-[x:PARTICIPATED_IN]->(e:Event)
WHERE lower(p.name) = lower($name) OR p.id = $name OR lower(p.name) ENDS WITH (' ' + lower($name))
   OR $name IN p.aliases
RETURN 'event' AS fact, e.name AS what, e.type AS with_whom, x.`as` AS detail,
       x.articles AS articles, x.spans AS spans
