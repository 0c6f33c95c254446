// The shortest connection between two people through posts, organisations and events
// (articles left out): how many hops, and the names along the way.
// Parameters: $a, $b — the two people's names or ids.
MATCH (a:Person), (b:Person)
WHERE (lower(a.name) = lower($a) OR a.id = $a) AND (lower(b.name) = lower($b) OR b.id = $b)
MATCH path = (a)-[:HOLDS|ROLE_IN|PARTICIPATED_IN|ORGANISED* SHORTEST 1..8]-(b)
RETURN length(path) AS hops, properties(nodes(path), 'name') AS through
LIMIT 1
