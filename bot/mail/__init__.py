"""Sending e-mail: SMTP (``TACBOT_SMTP_*``) through aiosmtplib, or printed (the console and the demo)."""
