output "domain_arn" {
  description = "ARN of the OpenSearch domain."
  value       = aws_opensearch_domain.this.arn
}

output "domain_name" {
  description = "Name of the OpenSearch domain."
  value       = aws_opensearch_domain.this.domain_name
}

output "endpoint" {
  description = "HTTPS endpoint of the domain (Fluent Bit's opensearch output Host, port 443, AWS_Auth On)."
  value       = aws_opensearch_domain.this.endpoint
}

output "dashboards_endpoint" {
  description = "Endpoint of OpenSearch Dashboards (from inside the VPC)."
  value       = aws_opensearch_domain.this.dashboard_endpoint
}

output "security_group_id" {
  description = "Security group of the domain."
  value       = aws_security_group.opensearch.id
}
