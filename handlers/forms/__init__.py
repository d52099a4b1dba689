"""Input forms: forms as data, requests, submissions, drafts and the API the platform edges call."""
