// The most connected people: how many posts, events and co-participants each has.
// Parameters: none.
MATCH (p:Person)-[:HOLDS|PARTICIPATED_IN|ORGANISED]->(x)
RETURN p.name AS person, count(x) AS links
ORDER BY links DESC, person
LIMIT 20
