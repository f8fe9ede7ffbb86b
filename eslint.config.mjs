// ESLint 9 flat config. Formatting is Effect's dprint rule (as in Effect-TS/effect);
// no type-aware linting, to keep `npm run lint` fast.
import * as effectEslint from "@effect/eslint-plugin"
import js from "@eslint/js"
import { defineConfig } from "eslint/config"
import globals from "globals"
import tseslint from "typescript-eslint"

export default defineConfig(
  {
    ignores: [
      "**/build/",
      "**/dist/",
      "**/node_modules/",
      "**/coverage/",
      ".examples-check/",
      "**/.tsbuildinfo/",
      "**/*.tsbuildinfo"
    ]
  },
  {
    files: ["**/*.ts", "**/*.mjs"],
    extends: [js.configs.recommended, tseslint.configs.recommended, effectEslint.configs.dprint],
    languageOptions: {
      sourceType: "module",
      globals: { ...globals.node }
    },
    linterOptions: {
      reportUnusedDisableDirectives: "error"
    },
    rules: {
      "no-fallthrough": "off",
      "no-irregular-whitespace": "off",
      "object-shorthand": "error",
      "prefer-destructuring": "off",
      "require-yield": "off",
      // `pipe() { return pipeArguments(this, arguments) }` is the Effect idiom
      "prefer-rest-params": "off",
      "prefer-spread": "off",
      "no-restricted-syntax": [
        "error",
        {
          selector: "CallExpression[callee.property.name='push'] > SpreadElement.arguments",
          message: "Do not use spread arguments in Array.push"
        }
      ],
      "no-unused-vars": "off",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/ban-ts-comment": "error",
      "@typescript-eslint/array-type": ["error", { default: "generic", readonly: "generic" }],
      "@typescript-eslint/consistent-type-imports": "off",
      "@typescript-eslint/no-namespace": "off",
      "@typescript-eslint/no-empty-object-type": "off",
      "@typescript-eslint/no-unsafe-function-type": "off",
      "@effect/dprint": [
        "error",
        {
          config: {
            indentWidth: 2,
            lineWidth: 120,
            semiColons: "asi",
            quoteStyle: "alwaysDouble",
            trailingCommas: "never",
            operatorPosition: "maintain",
            "arrowFunction.useParentheses": "force"
          }
        }
      ]
    }
  },
  {
    files: ["packages/*/src/**/*", "packages/*/test/**/*"],
    rules: {
      "no-console": "error"
    }
  },
  {
    files: ["packages/examples/**/*", "bench/**/*"],
    rules: {
      "no-console": "off"
    }
  }
)
