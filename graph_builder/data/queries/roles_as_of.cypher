// A person's roles as of a date: each post first reported as theirs on or before $date, oldest
// first, after the posts whose reports carry no date (first_reported empty). The status is that
// of the latest report, which may postdate $date.
// Parameters: $name — the person's name or surname (any case), an alias, or the id; $date — ISO date, e.g. 2025-04-01.
MATCH (p:Person)-[h:HOLDS]->(r:Role)
WHERE (lower(p.name) = lower($name) OR p.id = $name OR lower(p.name) ENDS WITH (' ' + lower($name))
       OR $name IN p.aliases)
  AND (h.first_reported IS NULL OR h.first_reported <= $date)
OPTIONAL MATCH (r)-[:ROLE_IN]->(o:Organisation)
RETURN h.title AS title, o.name AS organisation, h.status AS status,
       h.first_reported AS first_reported, h.last_reported AS last_reported
ORDER BY coalesce(first_reported, ''), title, coalesce(organisation, '')
