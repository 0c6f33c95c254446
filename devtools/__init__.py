"""Development tools, not shipped with the package: the local Neo4j test server and headless Chromium checks."""
