"""What every app shares and no domain owns. The bottom layer: it imports nothing from the apps."""
