"""Adopting a repository written for another generator (``profile:``): its conventions,
its registry of people, and what its pages mean."""
