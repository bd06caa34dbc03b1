import js from "@eslint/js";
import tseslint from "typescript-eslint";
export default tseslint.config(js.configs.recommended, ...tseslint.configs.recommended, {rules: {"prefer-const": "warn", "@typescript-eslint/no-unused-vars": "warn"}});
