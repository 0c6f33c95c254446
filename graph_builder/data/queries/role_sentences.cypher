// The sentences behind one post: who holds it, and each sentence that says so with its article's
// title, URL and date.
// Parameters: $role — the post's name as the graph shows it ("chief executive, Norvale Energy") or its id.
MATCH (p:Person)-[h:HOLDS]->(r:Role)<-[:STATES]-(s:Sentence)-[:IN_ARTICLE]->(a:Article)
WHERE (lower(r.name) = lower($role) OR r.id = $role) AND s.id IN h.spans
RETURN p.name AS holder, h.status AS status, s.text AS sentence, a.title AS article, a.url AS url,
       a.published AS published, s.start AS start, s.`end` AS `end`
ORDER BY holder, coalesce(published, ''), start
