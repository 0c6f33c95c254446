// Events an organisation took part in or organised.
// Parameters: $organisation — the organisation's name or id.
MATCH (o:Organisation)-[:PARTICIPATED_IN]->(e:Event)
WHERE lower(o.name) = lower($organisation) OR o.id = $organisation
RETURN e.name AS event, e.type AS type, e.date AS date, 'participant' AS took_part_as
UNION
MATCH (o:Organisation)-[:ORGANISED]->(e:Event)
WHERE lower(o.name) = lower($organisation) OR o.id = $organisation
RETURN e.name AS event, e.type AS type, e.date AS date, 'organiser' AS took_part_as
