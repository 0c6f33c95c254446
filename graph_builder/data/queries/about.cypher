// Everything the graph says about one person, organisation or place: each fact (its id, what it
// states) with the sentence that states it, that article's title, URL and date, the rules that
// found it and its confidence. One row per fact and sentence.
// Parameters: $name — the entity's name or id.
MATCH (x)-[h:HOLDS]->(r:Role)<-[:STATES]-(s:Sentence)-[:IN_ARTICLE]->(a:Article)
WHERE (lower(x.name) = lower($name) OR x.id = $name) AND s.id IN h.spans
RETURN h.fact AS fact, x.name AS subject, 'holds' AS relation, r.name AS object, h.status AS detail,
       s.text AS sentence, a.title AS article, a.url AS url, a.published AS published,
       h.rules AS rules, h.confidence AS confidence
UNION ALL
MATCH (p:Person)-[h:HOLDS]->(r:Role)-[:ROLE_IN]->(x:Organisation), (r)<-[:STATES]-(s:Sentence)-[:IN_ARTICLE]->(a:Article)
WHERE (lower(x.name) = lower($name) OR x.id = $name) AND s.id IN h.spans
RETURN h.fact AS fact, p.name AS subject, 'holds' AS relation, r.name AS object, h.status AS detail,
       s.text AS sentence, a.title AS article, a.url AS url, a.published AS published,
       h.rules AS rules, h.confidence AS confidence
UNION ALL
MATCH (x)-[e:PARTICIPATED_IN]->(ev:Event)<-[:STATES]-(s:Sentence)-[:IN_ARTICLE]->(a:Article)
WHERE (lower(x.name) = lower($name) OR x.id = $name) AND s.id IN e.spans
RETURN e.fact AS fact, x.name AS subject, 'took part in' AS relation, ev.name AS object, e.`as` AS detail,
       s.text AS sentence, a.title AS article, a.url AS url, a.published AS published,
       e.rules AS rules, e.confidence AS confidence
UNION ALL
MATCH (x)-[e:ORGANISED]->(ev:Event)<-[:STATES]-(s:Sentence)-[:IN_ARTICLE]->(a:Article)
WHERE (lower(x.name) = lower($name) OR x.id = $name) AND s.id IN e.spans
RETURN e.fact AS fact, x.name AS subject, 'organised' AS relation, ev.name AS object, '' AS detail,
       s.text AS sentence, a.title AS article, a.url AS url, a.published AS published,
       e.rules AS rules, e.confidence AS confidence
UNION ALL
MATCH (x:Place)<-[:HELD_IN]-(ev:Event)<-[e:PARTICIPATED_IN]-(p), (ev)<-[:STATES]-(s:Sentence)-[:IN_ARTICLE]->(a:Article)
WHERE (lower(x.name) = lower($name) OR x.id = $name) AND s.id IN e.spans
RETURN e.fact AS fact, p.name AS subject, 'took part in' AS relation, ev.name AS object, x.name AS detail,
       s.text AS sentence, a.title AS article, a.url AS url, a.published AS published,
       e.rules AS rules, e.confidence AS confidence
