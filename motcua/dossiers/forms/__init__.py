"""Printed forms Mẫu 01–07 of Circular 03/2025/TT-VPCP Appendix I, rendered to PDF (domain.md §5)."""
