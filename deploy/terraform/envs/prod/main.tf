# The production environment of Fleetwatch in eu-west-1: the VPC, the EKS cluster the charts and the
# Argo CD applications land on, the image repositories, the data services (RDS PostgreSQL, MSK,
# OpenSearch), the workloads' IAM roles and, in a second stage, Argo CD itself (README.md).

provider "aws" {
  region = var.region

  default_tags {
    tags = merge(var.tags, {
      Project     = "fleetwatch"
      Environment = var.environment
      ManagedBy   = "terraform (deploy/terraform/envs/prod)"
    })
  }
}

# Talks to the cluster's API (private endpoint unless made public): run the second stage from inside
# the VPC (VPN, bastion, CI runner) with a role in cluster_admin_role_arns. Needs the AWS CLI.
provider "helm" {
  kubernetes {
    host                   = module.eks.cluster_endpoint
    cluster_ca_certificate = base64decode(module.eks.cluster_certificate_authority_data)

    exec {
      api_version = "client.authentication.k8s.io/v1beta1"
      command     = "aws"
      args        = ["eks", "get-token", "--cluster-name", module.eks.cluster_name, "--region", var.region]
    }
  }
}

# Used by the modules (eks: the OIDC issuer's certificate; msk: the SCRAM password); declared here so
# that this root module pins them in versions.tf.
provider "tls" {}

provider "random" {}

locals {
  opensearch_admin_role_arn = coalesce(var.opensearch_admin_role_arn, var.cluster_admin_role_arns[0])
}

# Every new EBS volume in this account and region is encrypted, whoever creates it: the EBS CSI
# driver's default StorageClass (ebs-csi-default-sc) sets no encryption parameter of its own.
resource "aws_ebs_encryption_by_default" "this" {
  enabled = true
}

module "network" {
  source = "../../modules/network"

  name               = var.name
  cluster_name       = var.name
  azs                = var.azs
  single_nat_gateway = var.single_nat_gateway
}

module "eks" {
  source = "../../modules/eks"

  name                   = var.name
  kubernetes_version     = var.kubernetes_version
  subnet_ids             = module.network.private_subnet_ids
  endpoint_public_access = var.cluster_endpoint_public_access
  public_access_cidrs    = var.cluster_endpoint_public_access_cidrs
  admin_principal_arns   = var.cluster_admin_role_arns
  node_groups            = var.node_groups
}

module "ecr" {
  source = "../../modules/ecr"

  name                = var.name
  push_principal_arns = var.ci_role_arns
  pull_principal_arns = [module.eks.node_role_arn]
}

module "rds" {
  source = "../../modules/rds"

  name                = var.name
  vpc_id              = module.network.vpc_id
  subnet_ids          = module.network.data_subnet_ids
  allowed_cidr_blocks = module.network.private_subnet_cidrs
  instance_class      = var.rds_instance_class
}

module "msk" {
  source = "../../modules/msk"

  name                 = var.name
  vpc_id               = module.network.vpc_id
  subnet_ids           = module.network.data_subnet_ids
  allowed_cidr_blocks  = module.network.private_subnet_cidrs
  broker_instance_type = var.msk_broker_instance_type
  iam_authentication   = var.msk_iam_authentication
}

module "opensearch" {
  source = "../../modules/opensearch"
  count  = var.enable_opensearch ? 1 : 0

  name                = "${var.name}-logs"
  vpc_id              = module.network.vpc_id
  subnet_ids          = module.network.data_subnet_ids
  allowed_cidr_blocks = module.network.private_subnet_cidrs
  admin_role_arn      = local.opensearch_admin_role_arn
  writer_role_arns    = [module.workload_identity.role_arns["fluent-bit"]]
}

module "workload_identity" {
  source = "../../modules/workload-identity"

  name              = var.name
  cluster_name      = module.eks.cluster_name
  oidc_provider_arn = module.eks.oidc_provider_arn
  oidc_issuer_url   = module.eks.oidc_issuer_url

  fluent_bit_opensearch = var.enable_opensearch
  opensearch_domain_arn = var.enable_opensearch ? module.opensearch[0].domain_arn : null

  keda_msk_iam    = var.msk_iam_authentication
  msk_cluster_arn = module.msk.cluster_arn

  external_secrets_secret_arns  = [module.rds.database_url_secret_arn, module.msk.scram_secret_arn]
  external_secrets_kms_key_arns = [module.rds.kms_key_arn, module.msk.kms_key_arn]
}

# Second stage (bootstrap_argocd = true): needs the cluster, its nodes and CoreDNS.
module "argocd_bootstrap" {
  source = "../../modules/argocd-bootstrap"
  count  = var.bootstrap_argocd ? 1 : 0

  argocd_dir      = "${path.root}/../../../../argocd"
  repo_url        = var.platform_repo_url
  target_revision = var.platform_repo_revision
  domain          = var.argocd_domain
  oidc            = var.argocd_oidc
  admin_groups    = var.argocd_admin_groups
  readonly_groups = var.argocd_readonly_groups

  depends_on = [module.eks]
}
