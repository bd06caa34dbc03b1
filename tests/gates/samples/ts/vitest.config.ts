import { defineConfig } from "vitest/config";
export default defineConfig({ test: { reporters: ["default", "junit"], outputFile: { junit: "junit.xml" }, coverage: { provider: "v8", reporter: ["lcov", "json-summary", "cobertura"], include: ["src/**"] } } });
