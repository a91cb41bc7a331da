"""Chat delivery through Apprise: Slack and Microsoft Teams direct messages and team posts."""
