// Package openapi holds the API's contract, openapi.yaml, embedded so that
// tests and tools can load the same bytes the repository ships.
package openapi

import (
	_ "embed"
	"fmt"

	"github.com/getkin/kin-openapi/openapi3"
)

// YAML is openapi.yaml as committed: the OpenAPI 3.1 contract of the API.
//
//go:embed openapi.yaml
var YAML []byte

// Load parses YAML and validates it as an OpenAPI document. External
// references are refused: the contract is one self-contained file.
func Load() (*openapi3.T, error) {
	loader := openapi3.NewLoader()
	loader.IsExternalRefsAllowed = false
	doc, err := loader.LoadFromData(YAML)
	if err != nil {
		return nil, fmt.Errorf("openapi: load: %w", err)
	}
	if err := doc.Validate(loader.Context); err != nil {
		return nil, fmt.Errorf("openapi: validate: %w", err)
	}
	return doc, nil
}
