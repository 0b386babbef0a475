"""Notifications: the in-app inbox (站内信), e-mail and SMS for every stage, and title-expiry reminders.

Sits just above the registry: it imports ``enterprises`` only; every app above calls it.
"""
