// Posts reported with two different current holders at once: a contradiction to check,
// or a post that several people hold (e.g. "analyst").
// Parameters: none.
MATCH (a:Person)-[h1:HOLDS]->(r:Role)<-[h2:HOLDS]-(b:Person)
WHERE a.id < b.id AND h1.status = 'current' AND h2.status = 'current'
RETURN r.name AS post, a.name AS holder, b.name AS other_holder,
       h1.last_reported AS reported, h2.last_reported AS other_reported
ORDER BY post, holder, other_holder
