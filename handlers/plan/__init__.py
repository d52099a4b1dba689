"""The joint agency plan: outcomes and actions (``outcomes``, ``actions``), their costs (``costs``), the plan
read once into plain values (``snapshot``), shown in chat (``view``) and exported (``export``)."""
