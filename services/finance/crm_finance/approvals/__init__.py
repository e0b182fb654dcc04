"""Finance documents held for the sales approval engine (SAL-07, FIN-02, FIN-05)."""
