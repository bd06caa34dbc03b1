"""Alert channels: e-mail, chat webhooks (Slack, Discord) and GitHub issues."""
