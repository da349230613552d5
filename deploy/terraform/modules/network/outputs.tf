output "vpc_id" {
  description = "ID of the VPC (the AWS Load Balancer Controller's vpcId)."
  value       = aws_vpc.this.id
}

output "vpc_cidr" {
  description = "CIDR block of the VPC."
  value       = aws_vpc.this.cidr_block
}

output "azs" {
  description = "The three availability zones, in subnet order."
  value       = var.azs
}

output "public_subnet_ids" {
  description = "IDs of the public subnets (ALBs, NAT gateways)."
  value       = aws_subnet.public[*].id
}

output "public_subnet_cidrs" {
  description = "CIDR blocks of the public subnets: networkPolicy.loadBalancer.cidrs in argocd/values/environment.yaml."
  value       = aws_subnet.public[*].cidr_block
}

output "data_subnet_ids" {
  description = "IDs of the data subnets (RDS, MSK, OpenSearch)."
  value       = aws_subnet.data[*].id
}

output "data_subnet_cidrs" {
  description = "CIDR blocks of the data subnets: networkPolicy.postgres.cidrs and networkPolicy.kafka.cidrs in argocd/values/environment.yaml."
  value       = aws_subnet.data[*].cidr_block
}

output "private_subnet_ids" {
  description = "IDs of the private subnets (EKS nodes and pods)."
  value       = aws_subnet.private[*].id
}

output "private_subnet_cidrs" {
  description = "CIDR blocks of the private subnets: where pods take their addresses (the data services allow these)."
  value       = aws_subnet.private[*].cidr_block
}

output "nat_public_ips" {
  description = "Public addresses of the NAT gateways (the cluster's egress addresses, e.g. for an identity provider's allow list)."
  value       = aws_eip.nat[*].public_ip
}

output "flow_log_group_name" {
  description = "CloudWatch Logs group of the VPC flow logs."
  value       = aws_cloudwatch_log_group.flow_logs.name
}
