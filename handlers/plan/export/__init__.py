"""`plan export`: the joint agency plan as a Word document and a PDF, posted to the case room."""
