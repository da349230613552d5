# Nothing secret is output: secrets stay in Secrets Manager and only their ARNs appear here.

output "region" {
  description = "AWS region of the environment."
  value       = var.region
}

output "cluster_name" {
  description = "Name of the EKS cluster (aws eks update-kubeconfig --name <cluster_name>)."
  value       = module.eks.cluster_name
}

output "cluster_endpoint" {
  description = "Endpoint of the Kubernetes API."
  value       = module.eks.cluster_endpoint
}

output "cluster_oidc_issuer_url" {
  description = "OIDC issuer of the cluster (IRSA)."
  value       = module.eks.oidc_issuer_url
}

output "vpc_id" {
  description = "ID of the VPC (the AWS Load Balancer Controller's vpcId)."
  value       = module.network.vpc_id
}

output "subnet_cidrs" {
  description = "CIDR blocks of the three subnet tiers (networkPolicy in argocd/values/environment.yaml: loadBalancer = public, postgres and kafka = data)."
  value = {
    public  = module.network.public_subnet_cidrs
    data    = module.network.data_subnet_cidrs
    private = module.network.private_subnet_cidrs
  }
}

output "ecr_repository_urls" {
  description = "ECR repository URL by service (image.repository of each chart)."
  value       = module.ecr.repository_urls
}

output "rds_endpoint" {
  description = "Endpoint (host:port) of the PostgreSQL instance."
  value       = module.rds.endpoint
}

output "rds_master_user_secret_arn" {
  description = "ARN of the secret with the PostgreSQL master credentials (managed and rotated by RDS)."
  value       = module.rds.master_user_secret_arn
}

output "database_url_secret_arn" {
  description = "ARN of the secret with DATABASE_URL and DATABASE_ADMIN_URL (source of each tenant's fleetwatch-database Secret)."
  value       = module.rds.database_url_secret_arn
}

output "msk_bootstrap_brokers_sasl_scram" {
  description = "MSK bootstrap brokers, SASL/SCRAM over TLS (port 9096): kafka.brokers in argocd/values/environment.yaml."
  value       = module.msk.bootstrap_brokers_sasl_scram
}

output "msk_scram_secret_arn" {
  description = "ARN of the secret with the SCRAM username and password (source of each tenant's fleetwatch-kafka Secret)."
  value       = module.msk.scram_secret_arn
}

output "opensearch_endpoint" {
  description = "HTTPS endpoint of the logs domain (null when enable_opensearch is false)."
  value       = one(module.opensearch[*].endpoint)
}

output "workload_role_arns" {
  description = "IAM role ARN by workload (aws-load-balancer-controller, fluent-bit, external-secrets, keda with MSK IAM)."
  value       = module.workload_identity.role_arns
}

output "node_role_arn" {
  description = "IAM role of the EKS nodes."
  value       = module.eks.node_role_arn
}

# What argocd/ needs from this environment, in the shape of its files.
output "argocd_values" {
  description = "Values to set in argocd/values/environment.yaml and argocd/platform/aws-load-balancer-controller.yaml after an apply."
  value = {
    environment = {
      kafka = { brokers = module.msk.bootstrap_brokers_sasl_scram }
      networkPolicy = {
        loadBalancer = { cidrs = module.network.public_subnet_cidrs }
        postgres     = { cidrs = module.network.data_subnet_cidrs, port = 5432 }
        kafka        = { cidrs = module.network.data_subnet_cidrs, ports = [9096] }
      }
    }
    aws_load_balancer_controller = {
      clusterName = module.eks.cluster_name
      region      = var.region
      vpcId       = module.network.vpc_id
      roleArn     = module.workload_identity.role_arns["aws-load-balancer-controller"]
    }
  }
}
