# src/server: targets are added here
