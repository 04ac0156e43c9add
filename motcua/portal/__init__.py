"""Public pages (cổng công khai): procedure lookup on the portal and the lookup kiosk, procedure pages
and printable checklists. Views, forms and templates only; nothing imports this app."""
