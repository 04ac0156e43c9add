"""Readers of the national procedure data: portal JSONL(.gz) and the official XLSX lists.

Readers validate a whole file and return `ProcedureRecord`s; they never touch the database.
"""
