"""Money: tariffs, charges, accounts, payments, invoices and certificates."""
