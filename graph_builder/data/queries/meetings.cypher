// Who met whom: pairs of people or organisations that took part in the same meeting,
// with the meeting's date and place when reported.
// Parameters: none.
MATCH (a)-[:PARTICIPATED_IN]->(e:Event)<-[:PARTICIPATED_IN]-(b)
WHERE e.type = 'meeting' AND a.id < b.id
OPTIONAL MATCH (e)-[:HELD_IN]->(pl:Place)
RETURN a.name AS party, b.name AS other_party, e.date AS date, pl.name AS place
ORDER BY party, other_party, coalesce(date, ''), coalesce(place, '')
