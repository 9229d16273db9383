package openapi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sync"

	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"
)

// ErrNoOperation: the request matches no operation of the contract.
var ErrNoOperation = errors.New("no operation in openapi.yaml matches the request")

// ErrUndocumented: the operation does not document the response's status.
var ErrUndocumented = errors.New("undocumented response")

var loaded = sync.OnceValues(func() (routers.Router, error) {
	doc, err := Load()
	if err != nil {
		return nil, err
	}
	return gorillamux.NewRouter(doc)
})

// ValidateResponse holds one response to the contract: its status must be
// documented for the operation, and its headers and body must fit the schemas.
// Tests of every layer that answers HTTP (handlers, the Lambda adapter, the
// local server) call it for every response they see.
func ValidateResponse(req *http.Request, status int, header http.Header, body []byte) error {
	route, params, err := findOperation(req)
	if err != nil {
		return err
	}
	// kin-openapi passes 301, 304, 307 and 308 unchecked; the contract must
	// still document every status the API answers.
	if route.Operation.Responses.Status(status) == nil {
		return fmt.Errorf("%w: status %d is not documented for the operation", ErrUndocumented, status)
	}
	return openapi3filter.ValidateResponse(context.Background(), &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route},
		Status:                 status,
		Header:                 header,
		Body:                   io.NopCloser(bytes.NewReader(body)),
		Options:                &openapi3filter.Options{IncludeResponseStatus: true},
	})
}

// ValidateRequest holds a request the API accepted to the contract: the
// contract's request schemas must not be stricter (or other) than the code.
// Authentication is the API's own business here, so it is not re-checked.
func ValidateRequest(req *http.Request, body []byte) error {
	route, params, err := findOperation(req)
	if err != nil {
		return err
	}
	r := req.Clone(context.Background())
	r.Body = io.NopCloser(bytes.NewReader(body))
	return openapi3filter.ValidateRequest(context.Background(), &openapi3filter.RequestValidationInput{
		Request: r, PathParams: params, Route: route,
		Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc},
	})
}

// findOperation finds the contract's operation for a request.
func findOperation(req *http.Request) (*routers.Route, map[string]string, error) {
	router, err := loaded()
	if err != nil {
		return nil, nil, err
	}
	route, params, err := router.FindRoute(req)
	if err != nil {
		return nil, nil, ErrNoOperation
	}
	return route, params, nil
}

// ValidateSchema holds a JSON value to one of the contract's component
// schemas: what the API sends that is not an answer (a webhook's body).
func ValidateSchema(name string, body []byte) error {
	doc, err := Load()
	if err != nil {
		return err
	}
	ref, ok := doc.Components.Schemas[name]
	if !ok || ref.Value == nil {
		return fmt.Errorf("openapi: no schema %s", name)
	}
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		return err
	}
	return ref.Value.VisitJSON(v)
}
