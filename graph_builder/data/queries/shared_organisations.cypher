// Organisations two people share: bodies in which both hold (or held) a post.
// Parameters: $a, $b — the two people's names or ids.
MATCH (a:Person)-[:HOLDS]->(:Role)-[:ROLE_IN]->(o:Organisation)<-[:ROLE_IN]-(:Role)<-[:HOLDS]-(b:Person)
WHERE (lower(a.name) = lower($a) OR a.id = $a) AND (lower(b.name) = lower($b) OR b.id = $b)
RETURN DISTINCT o.name AS organisation
ORDER BY organisation
