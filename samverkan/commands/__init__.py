"""CLI subcommands, one module per step of the data flow."""
