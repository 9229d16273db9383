// Command partners is the Lambda function for partner profiles, people,
// customers, consumption and the certification catalogue.
package main

import "github.com/partnerready/partnerready/internal/app"

func main() { app.RunLambda("partners") }
