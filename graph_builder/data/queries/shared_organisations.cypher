// Organisations two people share: bodies in which both hold (or held) a post.
// Parameters: $a, $b — the two people's names or ids.
// Two MATCH clauses, not one pattern: Neo4j never walks one relationship twice in a pattern, so a post
// both hold (one Role, one ROLE_IN) would be missed there and found by the embedded store.
MATCH (a:Person)-[:HOLDS]->(:Role)-[:ROLE_IN]->(o:Organisation)
WHERE lower(a.name) = lower($a) OR a.id = $a
MATCH (b:Person)-[:HOLDS]->(:Role)-[:ROLE_IN]->(o)
WHERE lower(b.name) = lower($b) OR b.id = $b
RETURN DISTINCT o.name AS organisation
ORDER BY organisation
