// Command scoring is the Lambda function for partner capability scores,
// simulations, plans and specialization readiness. It only reads the table.
package main

import "github.com/partnerready/partnerready/internal/app"

func main() { app.RunLambda("scoring") }
