"""Tables, figures and the HTML report (aggregates only)."""
