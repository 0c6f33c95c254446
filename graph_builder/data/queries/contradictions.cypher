// Posts reported with two different holders at once: both are current holders at their latest
// report, and the periods over which each was reported (first to last report) overlap; an
// undated report overlaps anything. A contradiction to check, or a post that several people
// hold (e.g. "analyst").
// Parameters: none.
MATCH (a:Person)-[h1:HOLDS]->(r:Role)<-[h2:HOLDS]-(b:Person)
WHERE a.id < b.id AND h1.status = 'current' AND h2.status = 'current'
  AND (h1.first_reported IS NULL OR h2.last_reported IS NULL OR h1.first_reported <= h2.last_reported)
  AND (h2.first_reported IS NULL OR h1.last_reported IS NULL OR h2.first_reported <= h1.last_reported)
RETURN r.name AS post, a.name AS holder, b.name AS other_holder,
       h1.last_reported AS reported, h2.last_reported AS other_reported
ORDER BY post, holder, other_holder
