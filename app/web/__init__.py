"""The service's pages for people who read claims: articles with their claims marked in the text, entities
with their stance over time, and a form to try a text. Server-rendered (Jinja2), no build step, nothing
loaded from elsewhere: the stylesheet is in the package, the charts are SVG drawn here."""
