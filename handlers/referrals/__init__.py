"""Referrals: "protocols and procedures for identifying needs ... and referring children on"."""
