// Ink prints only the last frame when CI is set; screen tests need every frame.
delete process.env.CI;
