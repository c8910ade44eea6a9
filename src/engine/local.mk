# src/engine: targets are added here
