"""Life after the award: winners' yearly sustainability reports (with evidence and reminders)
and replications of an innovation by other organisations."""
