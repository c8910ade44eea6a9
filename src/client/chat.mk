# src/client chat TUI: sources are added to servicebot_SOURCES here
