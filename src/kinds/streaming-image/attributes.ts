import type { AttributeTable } from '../types.js';

/** Only the name and description change in place; a new AMI means a new image. */
export const STREAMING_IMAGE_ATTRIBUTES: AttributeTable = {
  Ec2ImageId: { compare: 'scalar', clear: 'none', impact: 'replace' },
  Description: { compare: 'scalar', clear: { value: '' }, impact: 'update' },
  Tags: { compare: { set: 'itself' }, clear: 'none', impact: 'update' },
};
