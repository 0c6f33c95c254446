// The most connected people: how many posts each holds plus events each took part in or organised
// (the top 20).
// Parameters: none.
MATCH (p:Person)-[:HOLDS|PARTICIPATED_IN|ORGANISED]->(x)
RETURN p.name AS person, count(x) AS links
ORDER BY links DESC, person
LIMIT 20
