"""The school's service directory: loading it (``load``) and showing it (``show``)."""
