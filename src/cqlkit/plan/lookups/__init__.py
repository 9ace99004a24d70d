"""Local data of the lookup and enrichment functions: lookup tables for match()
and readFile(), subnets for cidr(), MaxMind databases for ipLocation() and
asn(), and the indicator file of ioc:lookup().

The planner reads all of it while it binds a call
(:func:`cqlkit.plan.lookups.checks.check_call`), so a missing or broken file
is a ``check`` error and engines receive the data in the bound call.
"""
