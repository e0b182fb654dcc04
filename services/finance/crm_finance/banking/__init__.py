"""Bank accounts (FIN-06): every movement is an entry; the balance is their sum."""
