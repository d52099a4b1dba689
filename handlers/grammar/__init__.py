"""The command grammar of interface.md: tokens, dates, typed commands and the parser."""
