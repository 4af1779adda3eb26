"""What is stored: key slots, the encrypted database, the vault, users, settings, audit."""
