"""Agencies (perangkat daerah, OPD): the organisations whose innovators submit proposals.

Owns ``Agency`` rows (unique ``code`` such as ``DLH``): the public list, and the organising
team's create, rename and delete (refused while users or innovations still belong to one).
"""
